package importer

import (
	"os"
	"testing"
)

func TestScratch(t *testing.T) {
	f := os.Getenv("SCRATCH")
	if f == "" {
		t.Skip()
	}
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Import(f, StackName(f), data)
	os.Stdout.Write(out)
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout.Write(out)
}
