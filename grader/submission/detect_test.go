package submission

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want Format
	}{
		{name: "PWD header", src: "[node1] (local) root@192.168.0.18 ~\n$ docker ps\n", want: FormatTranscript},
		{name: "root prompt", src: "root@node2:~# docker ps\n", want: FormatTranscript},
		{name: "bare prompt", src: "Lab\n$ docker ps\n", want: FormatTranscript},
		{name: "short prompt before docker", src: "node2$ docker ps\n", want: FormatTranscript},
		{name: "fence", src: "# Report\n```bash\n$ docker ps\n```\n", want: FormatMarkdown},
		{name: "indented fence", src: "Report\n  ~~~\ndocker ps\n  ~~~\n", want: FormatMarkdown},
		{name: "script", src: "#!/bin/sh\ndocker ps # list\n", want: FormatScript},
		{name: "CRLF with BOM", src: "\xef\xbb\xbf$ docker ps\r\n", want: FormatTranscript},
		{name: "empty", src: "", want: FormatScript},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Detect([]byte(tt.src)))
		})
	}
}
