package blocks

import "testing"

func TestPascal(t *testing.T) {
	for label, want := range map[string]string{"cache-myapp": "CacheMyapp", "db.myapp": "DbMyapp", "api_v2": "ApiV2", "x": "X"} {
		if got := pascal(label); got != want {
			t.Errorf("pascal(%q) = %q, want %q", label, got, want)
		}
	}
}
