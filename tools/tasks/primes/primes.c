/* primes: reads N (decimal text) from stdin and prints the number of primes
 * below N, computed with a sieve of Eratosthenes over odd numbers (one bit
 * each). The reference benchmark task of Bazaar.
 *
 * Input:  "1000000" (surrounding whitespace allowed), 0 <= N <= 4294967295
 * Output: "78498\n"
 * Errors: a message on stderr and exit code 1 (bad number, out of memory). */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int read_limit(uint64_t* out) {
  char text[64];
  size_t len = fread(text, 1, sizeof text - 1, stdin);
  if (len == sizeof text - 1 && fgetc(stdin) != EOF) return 0;
  text[len] = '\0';
  size_t i = 0;
  while (i < len && isspace((unsigned char)text[i])) ++i;
  if (i == len) return 0;
  uint64_t n = 0;
  for (; i < len && isdigit((unsigned char)text[i]); ++i) {
    n = n * 10 + (uint64_t)(text[i] - '0');
    if (n > UINT32_MAX) return 0;
  }
  while (i < len && isspace((unsigned char)text[i])) ++i;
  if (i != len) return 0;
  *out = n;
  return 1;
}

/* Number of primes p with p < n. Bit k of `composite` stands for 2k+1. */
static int count_primes_below(uint64_t n, uint64_t* out) {
  if (n <= 2) {
    *out = 0;
    return 1;
  }
  uint64_t odd_count = n / 2; /* odd numbers 1, 3, ..., below n */
  uint8_t* composite = calloc((size_t)(odd_count / 8 + 1), 1);
  if (!composite) return 0;
  composite[0] |= 1; /* 1 is not prime */
  for (uint64_t i = 3; i * i < n; i += 2) {
    uint64_t k = i / 2;
    if (composite[k >> 3] & (1u << (k & 7))) continue;
    for (uint64_t j = i * i; j < n; j += 2 * i) {
      uint64_t m = j / 2;
      composite[m >> 3] |= (uint8_t)(1u << (m & 7));
    }
  }
  uint64_t count = 1; /* the prime 2 */
  for (uint64_t k = 0; k < odd_count; ++k)
    if (!(composite[k >> 3] & (1u << (k & 7)))) ++count;
  free(composite);
  *out = count;
  return 1;
}

int main(void) {
  uint64_t n = 0;
  if (!read_limit(&n)) {
    fputs("primes: expected a decimal number between 0 and 4294967295 on stdin\n", stderr);
    return 1;
  }
  uint64_t count = 0;
  if (!count_primes_below(n, &count)) {
    fputs("primes: out of memory for the sieve\n", stderr);
    return 1;
  }
  printf("%llu\n", (unsigned long long)count);
  return 0;
}
