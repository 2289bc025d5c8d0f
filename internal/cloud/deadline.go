package cloud

import (
	"time"

	"github.com/formwork-dev/formwork/internal/awsapi"
)

// DefaultCallTimeout bounds one AWS call, its retries included, when
// neither --timeout nor FORMWORK_AWS_TIMEOUT says otherwise.
const DefaultCallTimeout = awsapi.DefaultCallTimeout

// TimeoutVariable is the environment variable that sets the deadline of
// every AWS call, as --timeout does.
const TimeoutVariable = awsapi.TimeoutVariable

// StalledError is an AWS call that got no answer within its deadline.
type StalledError = awsapi.StalledError

// CallTimeout is flag if set, else FORMWORK_AWS_TIMEOUT, else the default.
func CallTimeout(flag time.Duration) (time.Duration, error) { return awsapi.CallTimeout(flag) }
