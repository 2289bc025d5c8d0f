package report

import (
	"fmt"
	"strings"

	"github.com/formwork-dev/formwork/internal/diff"
)

// The review sections the diff and the plan reports share: data at risk,
// IAM statements and exposure, in text and Markdown. Their JSON form is
// the rows themselves (DataRisk, StatementDiff, ExposureDiff).

// WriteDataRiskText writes the DATA AT RISK section, if there is any.
func WriteDataRiskText(b *strings.Builder, risks []diff.DataRisk) {
	if len(risks) == 0 {
		return
	}
	b.WriteString("\nDATA AT RISK\n")
	for _, risk := range risks {
		fmt.Fprintf(b, "  ! %s/%s (%s) %s, %s: %s\n    %s\n", risk.Stack, risk.LogicalID, risk.Type,
			riskWords[risk.Change], risk.Policy, protectionWord(risk), risk.Note)
	}
}

// WriteAccessText writes the IAM and Exposure sections, if there is any.
func WriteAccessText(b *strings.Builder, iam []diff.StatementDiff, exposure []diff.ExposureDiff) {
	if len(iam) > 0 {
		b.WriteString("\nIAM\n")
		for _, s := range iam {
			writeStatementText(b, s)
		}
	}
	if len(exposure) > 0 {
		b.WriteString("\nExposure\n")
		for _, e := range exposure {
			writeExposureText(b, e)
		}
	}
}

// WriteDataRiskMarkdown writes the data-at-risk callout, if there is any.
func WriteDataRiskMarkdown(b *strings.Builder, risks []diff.DataRisk) {
	writeDataRiskMarkdown(b, risks)
}

// WriteAccessMarkdown writes the IAM and Exposure tables, if there is any.
func WriteAccessMarkdown(b *strings.Builder, iam []diff.StatementDiff, exposure []diff.ExposureDiff) {
	writeIAMMarkdown(b, iam)
	writeExposureMarkdown(b, exposure)
}
