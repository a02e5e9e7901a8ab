package lab

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestErrorsFormat(t *testing.T) {
	es := Errors{
		{Source: "mylab.yaml", Line: 42, Column: 7, Path: "rubric[3].check", Msg: "unknown check kind"},
		{Source: "mylab.yaml", Msg: "the file is empty"},
	}
	assert.Equal(t, "mylab.yaml:42:7: rubric[3].check: unknown check kind\nmylab.yaml: the file is empty", es.Error())
}
