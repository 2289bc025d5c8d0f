// Package report renders formwork's review reports: the diff report
// (Diff) in text, Markdown and JSON, and the sections the diff and the
// plan share (data at risk, IAM statements, exposure). The analysis itself
// is package diff's; this package only writes it.
package report
