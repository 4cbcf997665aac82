/* wordfreq: reads text from stdin and prints the 20 most frequent words.
 *
 * A word is a maximal run of ASCII letters, lowercased; every other byte
 * separates words. Output: one line per word, "<count> <word>\n", ordered by
 * count descending, then by word ascending (byte order), at most 20 lines.
 * Errors: a message on stderr and exit code 1 (out of memory). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { kTop = 20 };

typedef struct {
  char* word; /* NUL-terminated, owned */
  uint32_t length;
  uint32_t hash;
  uint64_t count;
} Entry;

typedef struct {
  Entry* slots; /* open addressing, linear probing; word == NULL is empty */
  size_t capacity; /* a power of two */
  size_t size;
} Table;

static void die(const char* message) {
  fprintf(stderr, "wordfreq: %s\n", message);
  exit(1);
}

static uint32_t fnv1a(const char* s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; ++i) {
    h ^= (uint8_t)s[i];
    h *= 16777619u;
  }
  return h;
}

static void table_grow(Table* t) {
  size_t capacity = t->capacity ? t->capacity * 2 : 1024;
  Entry* slots = calloc(capacity, sizeof(Entry));
  if (!slots) die("out of memory");
  for (size_t i = 0; i < t->capacity; ++i) {
    Entry* e = &t->slots[i];
    if (!e->word) continue;
    size_t j = e->hash & (capacity - 1);
    while (slots[j].word) j = (j + 1) & (capacity - 1);
    slots[j] = *e;
  }
  free(t->slots);
  t->slots = slots;
  t->capacity = capacity;
}

static void table_add(Table* t, const char* word, size_t length) {
  if ((t->size + 1) * 4 > t->capacity * 3) table_grow(t);
  uint32_t hash = fnv1a(word, length);
  size_t j = hash & (t->capacity - 1);
  while (t->slots[j].word) {
    Entry* e = &t->slots[j];
    if (e->hash == hash && e->length == length && memcmp(e->word, word, length) == 0) {
      ++e->count;
      return;
    }
    j = (j + 1) & (t->capacity - 1);
  }
  char* copy = malloc(length + 1);
  if (!copy) die("out of memory");
  memcpy(copy, word, length);
  copy[length] = '\0';
  t->slots[j] = (Entry){copy, (uint32_t)length, hash, 1};
  ++t->size;
}

static int by_count_then_word(const void* a, const void* b) {
  const Entry* x = a;
  const Entry* y = b;
  if (x->count != y->count) return x->count > y->count ? -1 : 1;
  return strcmp(x->word, y->word);
}

int main(void) {
  Table table = {0};
  table_grow(&table);
  char* word = NULL;
  size_t length = 0, capacity = 0;
  int c;
  for (;;) {
    c = getchar();
    int is_letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (is_letter) {
      if (length + 1 >= capacity) {
        capacity = capacity ? capacity * 2 : 64;
        word = realloc(word, capacity);
        if (!word) die("out of memory");
      }
      word[length++] = (char)(c | 0x20); /* ASCII lowercase */
      continue;
    }
    if (length > 0) {
      table_add(&table, word, length);
      length = 0;
    }
    if (c == EOF) break;
  }
  if (ferror(stdin)) die("cannot read stdin");

  Entry* entries = malloc((table.size ? table.size : 1) * sizeof(Entry));
  if (!entries) die("out of memory");
  size_t n = 0;
  for (size_t i = 0; i < table.capacity; ++i)
    if (table.slots[i].word) entries[n++] = table.slots[i];
  qsort(entries, n, sizeof(Entry), by_count_then_word);
  for (size_t i = 0; i < n && i < kTop; ++i)
    printf("%llu %s\n", (unsigned long long)entries[i].count, entries[i].word);
  return 0;
}
