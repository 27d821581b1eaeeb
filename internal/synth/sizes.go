package synth

import (
	"fmt"
	"os"
	"strings"
)

// SizesEnv names the environment variable that lists the school sizes the
// benchmarks run at, such as "1000,10000,100000,1000000".
const SizesEnv = "PIXCERT_BENCH_SIZES"

// BenchSizes gives the school sizes of SizesEnv, else 1,000, 10,000 and
// 100,000 students: a million is asked for, it takes minutes.
func BenchSizes() ([]int, error) {
	env := os.Getenv(SizesEnv)
	if env == "" {
		return []int{1000, 10000, 100000}, nil
	}
	var sizes []int
	for _, field := range strings.Split(env, ",") {
		var n int
		if _, err := fmt.Sscan(field, &n); err != nil || n <= 0 {
			return nil, fmt.Errorf("%s: %q is not a number of students", SizesEnv, field)
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}
