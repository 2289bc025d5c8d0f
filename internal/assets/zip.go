package assets

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// entry is one file of a zip: its slash-separated name, whether it is
// executable, and its content.
type entry struct {
	name string
	exec bool
	data []byte
}

// dosEpoch is 1980-01-01 00:00:00, the earliest MS-DOS date, written into
// every entry: the date field is (year-1980)<<9 | month<<5 | day, the time
// field is 0.
const dosEpochDate, dosEpochTime = 1<<5 | 1, 0

// writeZip writes entries reproducibly: sorted by name, every entry dated
// 1980-01-01 00:00 with no extended-timestamp (or any other) extra field,
// mode 0755 for executables and 0644 for the rest, deflated. The same
// entries give the same bytes on every machine, in every time zone and with
// every umask.
func writeZip(entries []entry) ([]byte, error) {
	entries = slices.Clone(entries)
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.name, b.name) })
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for i, e := range entries {
		if i > 0 && entries[i-1].name == e.name {
			return nil, fmt.Errorf("two files are named %s", e.name)
		}
		// ModifiedDate/ModifiedTime, not Modified or SetModTime: the writer
		// adds an extended-timestamp extra field whenever Modified is set.
		//lint:ignore SA1019 the deprecated fields are the only way to a zip without extra fields
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, ModifiedDate: dosEpochDate, ModifiedTime: dosEpochTime}
		h.SetMode(mode(e.exec))
		f, err := w.CreateHeader(h)
		if err != nil {
			return nil, err
		}
		if _, err := f.Write(e.data); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func mode(exec bool) fs.FileMode {
	if exec {
		return 0o755
	}
	return 0o644
}
