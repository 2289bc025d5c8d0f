package templates

// IsIntrinsic reports whether s is an intrinsic function made by one of
// goformation's helpers (cloudformation.Ref, Sub, GetAtt, ...) rather than
// a literal string: blocks use it to decide whether a value must go through
// !Sub.
func IsIntrinsic(s string) bool {
	_, ok := decodeGoformationIntrinsic(s)
	return ok
}
