// The startup and fixed-memory cases' Go floor: print a version and end. Built by bench/run with Debian's
// golang-go when it is installed, never committed as a binary.
package main

import "fmt"

func main() {
	fmt.Println("0.1.0")
}
