package assets

import (
	"archive/zip"
	"bytes"
	"fmt"
)

// Lambda's limits for a deployment package: 50 MB zipped for a direct
// upload, 250 MB unzipped (the code and its layers).
const (
	MaxZipped   = 50 << 20
	MaxUnzipped = 250 << 20
)

// checkLimits refuses a zip over Lambda's limits before anything is
// uploaded.
func checkLimits(name string, zipped, unzipped int64) error {
	switch {
	case zipped > MaxZipped:
		return fmt.Errorf("%s: the zip is %s, over Lambda's %s limit for a zip: make the code smaller (fewer dependencies, no test data)", name, mb(zipped), mb(MaxZipped))
	case unzipped > MaxUnzipped:
		return fmt.Errorf("%s: the code is %s unzipped, over Lambda's %s limit: make the code smaller, or move data out of it (S3, a layer)", name, mb(unzipped), mb(MaxUnzipped))
	}
	return nil
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }

// unzippedSize reads a zip's central directory and adds up the sizes its
// entries declare.
func unzippedSize(data []byte) (int64, error) {
	r, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return 0, err
	}
	var total int64
	for _, f := range r.File {
		total += int64(f.UncompressedSize64)
	}
	return total, nil
}
