// Package cfn is the CloudFormation API formwork calls, over the AWS Query
// protocol (form POST, XML answers). Its types carry the API's field names,
// so an answer recorded as the AWS CLI prints it (JSON) decodes into them
// as well as the XML does.
package cfn

import "time"

// Statuses formwork reads.
const (
	StackStatusReviewInProgress         = "REVIEW_IN_PROGRESS"
	StackStatusCreateComplete           = "CREATE_COMPLETE"
	StackStatusUpdateComplete           = "UPDATE_COMPLETE"
	StackStatusUpdateInProgress         = "UPDATE_IN_PROGRESS"
	StackStatusUpdateRollbackInProgress = "UPDATE_ROLLBACK_IN_PROGRESS"
	StackStatusUpdateRollbackComplete   = "UPDATE_ROLLBACK_COMPLETE"
	StackStatusUpdateRollbackFailed     = "UPDATE_ROLLBACK_FAILED"
	StackStatusDeleteInProgress         = "DELETE_IN_PROGRESS"
	StackStatusDeleteComplete           = "DELETE_COMPLETE"

	ChangeSetStatusCreateInProgress = "CREATE_IN_PROGRESS"
	ChangeSetStatusCreateComplete   = "CREATE_COMPLETE"
	ChangeSetStatusFailed           = "FAILED"

	ExecutionStatusAvailable         = "AVAILABLE"
	ExecutionStatusExecuteInProgress = "EXECUTE_IN_PROGRESS"
	ExecutionStatusExecuteComplete   = "EXECUTE_COMPLETE"
	ExecutionStatusExecuteFailed     = "EXECUTE_FAILED"

	ChangeSetTypeCreate = "CREATE"
	ChangeSetTypeUpdate = "UPDATE"

	TemplateStageOriginal = "Original"

	ReplacementTrue        = "True"
	ReplacementFalse       = "False"
	ReplacementConditional = "Conditional"
)

// Parameter is a stack's or change set's parameter value.
type Parameter struct {
	ParameterKey, ParameterValue string
}

// Tag is a stack's tag.
type Tag struct {
	Key, Value string
}

// Output is a stack's output.
type Output struct {
	OutputKey, OutputValue, Description, ExportName string
}

// StackDriftInformation is the result of the last drift detection.
type StackDriftInformation struct {
	StackDriftStatus string
}

// Stack is one stack of DescribeStacks.
type Stack struct {
	StackName, StackId, StackStatus, StackStatusReason string
	Description                                        string
	Parameters                                         []Parameter `xml:"Parameters>member"`
	Outputs                                            []Output    `xml:"Outputs>member"`
	Tags                                               []Tag       `xml:"Tags>member"`
	DriftInformation                                   *StackDriftInformation
}

// StackEvent is one event of DescribeStackEvents.
type StackEvent struct {
	EventId, StackName, LogicalResourceId, PhysicalResourceId string
	ResourceType, ResourceStatus, ResourceStatusReason        string
	Timestamp                                                 time.Time
}

// Change is one change of a change set.
type Change struct {
	Type           string
	ResourceChange *ResourceChange
}

// ResourceChange is what a change set does to one resource.
type ResourceChange struct {
	Action, LogicalResourceId, PhysicalResourceId, ResourceType, Replacement string
	Scope                                                                    []string               `xml:"Scope>member"`
	Details                                                                  []ResourceChangeDetail `xml:"Details>member"`
}

// ResourceChangeDetail is one cause of a resource change.
type ResourceChangeDetail struct {
	Target                                  *ResourceTargetDefinition
	Evaluation, ChangeSource, CausingEntity string
}

// ResourceTargetDefinition is the attribute a change touches.
type ResourceTargetDefinition struct {
	Attribute, Name, RequiresRecreation string
}

// ChangeSetSummary is one change set of ListChangeSets.
type ChangeSetSummary struct {
	ChangeSetName, ChangeSetId, StackName, StackId, Status, ExecutionStatus, StatusReason string
}

// StackResourceSummary is one resource of ListStackResources.
type StackResourceSummary struct {
	LogicalResourceId, PhysicalResourceId, ResourceType, ResourceStatus string
}

// DescribeStacksInput asks for one stack.
type DescribeStacksInput struct{ StackName, NextToken string }

// DescribeStacksOutput is DescribeStacks' answer.
type DescribeStacksOutput struct {
	Stacks    []Stack `xml:"Stacks>member"`
	NextToken string
}

// CreateChangeSetInput is the change set to make.
type CreateChangeSetInput struct {
	StackName, ChangeSetName, Description, TemplateBody string
	ChangeSetType, RoleARN                              string
	Parameters                                          []Parameter
	Tags                                                []Tag
	Capabilities                                        []string
}

// CreateChangeSetOutput is CreateChangeSet's answer.
type CreateChangeSetOutput struct{ Id, StackId string }

// DescribeChangeSetInput asks for one page of a change set.
type DescribeChangeSetInput struct{ StackName, ChangeSetName, NextToken string }

// DescribeChangeSetOutput is a page of a change set.
type DescribeChangeSetOutput struct {
	StackName, StackId, ChangeSetName, ChangeSetId, Description string
	Status, ExecutionStatus, StatusReason                       string
	Parameters                                                  []Parameter `xml:"Parameters>member"`
	Tags                                                        []Tag       `xml:"Tags>member"`
	Capabilities                                                []string    `xml:"Capabilities>member"`
	Changes                                                     []Change    `xml:"Changes>member"`
	NextToken                                                   string
}

// ExecuteChangeSetInput names the change set to execute.
type ExecuteChangeSetInput struct{ StackName, ChangeSetName string }

// ExecuteChangeSetOutput is ExecuteChangeSet's (empty) answer.
type ExecuteChangeSetOutput struct{}

// DeleteChangeSetInput names the change set to delete.
type DeleteChangeSetInput struct{ StackName, ChangeSetName string }

// DeleteChangeSetOutput is DeleteChangeSet's (empty) answer.
type DeleteChangeSetOutput struct{}

// ListChangeSetsInput asks for a stack's change sets.
type ListChangeSetsInput struct{ StackName, NextToken string }

// ListChangeSetsOutput is a page of a stack's change sets.
type ListChangeSetsOutput struct {
	Summaries []ChangeSetSummary `xml:"Summaries>member"`
	NextToken string
}

// DeleteStackInput names the stack to delete.
type DeleteStackInput struct{ StackName string }

// DeleteStackOutput is DeleteStack's (empty) answer.
type DeleteStackOutput struct{}

// GetTemplateInput asks for a stack's template.
type GetTemplateInput struct{ StackName, ChangeSetName, TemplateStage string }

// GetTemplateOutput is the template, as it was submitted.
type GetTemplateOutput struct {
	TemplateBody    string
	StagesAvailable []string `xml:"StagesAvailable>member"`
}

// DescribeStackEventsInput asks for a page of a stack's events.
type DescribeStackEventsInput struct{ StackName, NextToken string }

// DescribeStackEventsOutput is a page of events, newest first.
type DescribeStackEventsOutput struct {
	StackEvents []StackEvent `xml:"StackEvents>member"`
	NextToken   string
}

// ListStackResourcesInput asks for a page of a stack's resources.
type ListStackResourcesInput struct{ StackName, NextToken string }

// ListStackResourcesOutput is a page of a stack's resources.
type ListStackResourcesOutput struct {
	StackResourceSummaries []StackResourceSummary `xml:"StackResourceSummaries>member"`
	NextToken              string
}
