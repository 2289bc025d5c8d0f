//go:build !linux

package commands

import "errors"

// exchange is not available: writeAll falls back to renaming file by file.
func exchange(a, b string) error { return errors.ErrUnsupported }
