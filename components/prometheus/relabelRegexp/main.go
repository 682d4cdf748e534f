// The relabel regular-expression check of the pinned Prometheus: model/relabel.NewRegexp of
// Prometheus 2.55.1 compiles "^(?:" + s + ")$" with github.com/grafana/regexp at the version its
// go.mod pins. Built for WASI (scripts/build-relabel-regexp.sh) so the program runs it before
// preview, where no Prometheus is installed. Reads one Go-quoted pattern per line; writes one
// Go-quoted line per pattern: empty when Prometheus accepts it, else its error.
package main

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"unicode"

	"github.com/grafana/regexp"
)

// printable keeps the quoted answer to \" and \\ escapes: a rune that is not graphic becomes U+FFFD.
func printable(text string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsGraphic(r) {
			return r
		}
		return unicode.ReplacementChar
	}, text)
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	out := bufio.NewWriter(os.Stdout)
	for in.Scan() {
		message := ""
		if pattern, err := strconv.Unquote(in.Text()); err != nil {
			message = "not a quoted string: " + err.Error()
		} else if _, err := regexp.Compile("^(?:" + pattern + ")$"); err != nil {
			message = err.Error()
		}
		out.WriteString(strconv.Quote(printable(message)) + "\n")
	}
	if err := out.Flush(); err != nil {
		os.Exit(1)
	}
}
