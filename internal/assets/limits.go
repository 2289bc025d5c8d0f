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
		return fmt.Errorf("%s: the zip is %d bytes, over Lambda's 50 MB limit for a zip (%d bytes): make the code smaller (fewer dependencies, no test data)", name, zipped, MaxZipped)
	case unzipped > MaxUnzipped:
		return fmt.Errorf("%s: the code is %d bytes unzipped, over Lambda's 250 MB limit (%d bytes): make the code smaller, or move data out of it (to S3 or a layer)", name, unzipped, MaxUnzipped)
	}
	return nil
}

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
