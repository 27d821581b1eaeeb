// Command pixcert follows the Pix certificability of a school's students.
package main

import (
	"os"

	"github.com/pixcert/pixcert/cmd"
)

func main() {
	os.Exit(cmd.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
