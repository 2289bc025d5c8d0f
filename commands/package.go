package commands

import (
	"fmt"
	"os"

	"github.com/formwork-dev/formwork/internal/assets"
	"github.com/formwork-dev/formwork/templates"
	"github.com/urfave/cli/v2"
)

var (
	s3BucketFlag = &cli.StringFlag{Name: "s3-bucket", Usage: "`BUCKET` for the stack's code (and, for deploy, a template over 51,200 bytes)", EnvVars: []string{"FORMWORK_S3_BUCKET"}}
	s3PrefixFlag = &cli.StringFlag{Name: "s3-prefix", Value: assets.DefaultPrefix, Usage: "key `PREFIX` for the code: PREFIX/<sha256>.zip"}
)

// packageCommand is formwork package.
func packageCommand() *cli.Command {
	return &cli.Command{
		Name:  "package",
		Usage: "build a stack's Lambda code reproducibly and upload what the bucket lacks",
		UsageText: "formwork package STACK [--env ENV] [--out DIR] [--s3-bucket B] [--s3-prefix P]\n\n" +
			"Builds every asset the stack declares (a Go main package for linux/arm64, a\n" +
			"directory or a zip), zips it reproducibly and prints its key, PREFIX/<sha256>.zip,\n" +
			"and size. The same source gives the same key on every machine. With a bucket it\n" +
			"uploads the zips the bucket does not hold yet (a rerun uploads 0 bytes). deploy\n" +
			"does this itself and passes the keys as parameter values. With --env ENV the bucket\n" +
			"is the value environments/ENV.yaml gives the asset's bucket parameter (CodeBucket),\n" +
			"in the environment's region.\n\n" +
			"Examples:\n" +
			"   formwork package scheduled-binary                      # build, print keys\n" +
			"   formwork package scheduled-binary --out dist/          # and keep the zips\n" +
			"   formwork package scheduled-binary --s3-bucket my-code  # and upload them\n" +
			"   formwork package scheduled-binary --env prod           # to the environment's bucket",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Usage: "write each zip to `DIR`/<sha256>.zip"},
			s3BucketFlag, s3PrefixFlag, envFlag, environmentsFlag, regionFlag, profileFlag, timeoutFlag,
		},
		Action: packageStack,
	}
}

func packageStack(c *cli.Context) error {
	s, err := oneStack(c)
	if err != nil {
		return err
	}
	if dir := c.String("out"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return usageError("--out %s: %v", dir, rootCause(err))
		}
	}
	buckets, region, err := environmentBuckets(c, s)
	if err != nil {
		return err
	}
	timeout, err := awsTimeout(c)
	if err != nil {
		return err
	}
	list, err := assets.PackageStack(c.Context, s, assets.Options{
		Bucket: c.String("s3-bucket"), Prefix: c.String("s3-prefix"), OutDir: c.String("out"),
		Given: buckets, Region: region, Profile: c.String("profile"), Log: c.App.ErrWriter, Timeout: timeout,
	})
	if err != nil {
		return packageFailed(err)
	}
	if len(list) == 0 {
		fmt.Fprintf(c.App.ErrWriter, "%s declares no assets: nothing to package\n", s.Name)
		return nil
	}
	var uploaded int64
	for _, p := range list {
		fmt.Fprintf(c.App.Writer, "%s\t%s\t%d bytes\n", p.Asset.Name, p.Key, p.Size)
		if p.Uploaded {
			uploaded += p.Size
		}
	}
	if bucket := list[0].Bucket; bucket != "" {
		fmt.Fprintf(c.App.ErrWriter, "%d bytes uploaded to s3://%s\n", uploaded, bucket)
	}
	return nil
}

// environmentBuckets reads, with --env, the bucket parameter values the
// environment gives the stack's assets, and its region. Only the buckets
// count: package builds every asset, whatever key the environment names.
func environmentBuckets(c *cli.Context, s templates.Stack) (map[string]string, string, error) {
	if c.String("env") == "" {
		return nil, c.String("region"), nil
	}
	t := s.Template()
	tree, err := t.Tree()
	if err != nil {
		return nil, "", renderFailed(c.App.ErrWriter, err)
	}
	tgt, err := resolveTarget(c, s, tree)
	if err != nil {
		return nil, "", err
	}
	buckets := map[string]string{}
	for _, a := range t.Assets() {
		if b, ok := tgt.values.get(a.BucketParameter); ok {
			buckets[a.BucketParameter] = b
		}
	}
	return buckets, tgt.region, nil
}

// packageFailed is exit 2: a package that does not build, an asset over
// Lambda's limits, a bucket that cannot be reached. The details (the
// compiler's first lines) are already on stderr.
func packageFailed(err error) error {
	return usageError("%s", oneLine(err.Error()))
}
