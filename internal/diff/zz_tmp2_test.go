package diff

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/formwork-dev/formwork/templates"
)

func TestTmpWhyNotIdentical(t *testing.T) {
	files, _ := filepath.Glob("../../golden/*.yaml")
	for _, f := range files {
		data, _ := os.ReadFile(f)
		a, _ := templates.Parse(data)
		b, _ := templates.Parse(data)
		read := readSides(a, b)
		res := templates.Section(a, "Resources")
		fmt.Println(f, res.Len(), len(read.unchanged))
		for _, id := range res.Keys() {
			if !read.unchanged[id] {
				var walk func(x, y any, path string)
				walk = func(x, y any, path string) {
					if identical(x, y) {
						return
					}
					switch xv := x.(type) {
					case *templates.Map:
						for _, k := range xv.Keys() {
							walk(xv.Value(k), y.(*templates.Map).Value(k), path+"."+k)
						}
					case []any:
						for i := range xv {
							walk(xv[i], y.([]any)[i], fmt.Sprint(path, "[", i, "]"))
						}
					default:
						fmt.Printf("  %s: %T %#v\n", path, x, x)
					}
				}
				walk(res.Value(id), templates.Section(b, "Resources").Value(id), id)
			}
		}
	}
}
