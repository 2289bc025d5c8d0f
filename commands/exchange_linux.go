package commands

import "golang.org/x/sys/unix"

// exchange swaps two directories atomically (renameat2 RENAME_EXCHANGE):
// a reader sees one or the other, never a mix, whenever the process dies.
func exchange(a, b string) error {
	return unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
}
