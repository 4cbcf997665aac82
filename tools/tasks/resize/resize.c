/* resize: reads a PNG or JPEG image from stdin and writes it to stdout as a
 * PNG whose longer side is 128 pixels, keeping the aspect ratio (the shorter
 * side is rounded to the nearest pixel, at least 1). The channels of the
 * input are kept (grey, grey+alpha, RGB or RGBA); resampling is sRGB-aware
 * with alpha weighting (stb_image_resize's defaults).
 *
 * Errors: a message on stderr and exit code 1 (not an image, unsupported
 * format, too large, out of memory). No file system is used. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_NO_STDIO
#define STB_IMAGE_IMPLEMENTATION
#include "stb_image.h"

#define STB_IMAGE_RESIZE_IMPLEMENTATION
#include "stb_image_resize.h"

#define STBI_WRITE_NO_STDIO
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include "stb_image_write.h"

enum {
  kTargetSide = 128,
  kMaxInputBytes = 32 * 1024 * 1024,
  kMaxPixels = 16 * 1024 * 1024,
};

static int fail(const char* message, const char* detail) {
  if (detail)
    fprintf(stderr, "resize: %s: %s\n", message, detail);
  else
    fprintf(stderr, "resize: %s\n", message);
  return 1;
}

/* Reads all of stdin into a malloc'ed buffer; NULL on error or oversize. */
static unsigned char* read_stdin(size_t* out_size) {
  size_t size = 0, capacity = 64 * 1024;
  unsigned char* data = malloc(capacity);
  if (!data) return NULL;
  for (;;) {
    if (size == capacity) {
      if (capacity >= kMaxInputBytes) {
        free(data);
        return NULL;
      }
      capacity *= 2;
      unsigned char* bigger = realloc(data, capacity);
      if (!bigger) {
        free(data);
        return NULL;
      }
      data = bigger;
    }
    size_t n = fread(data + size, 1, capacity - size, stdin);
    size += n;
    if (n == 0) break;
  }
  if (ferror(stdin)) {
    free(data);
    return NULL;
  }
  *out_size = size;
  return data;
}

static void write_to_stdout(void* context, void* data, int size) {
  (void)context;
  fwrite(data, 1, (size_t)size, stdout);
}

int main(void) {
  size_t size = 0;
  unsigned char* input = read_stdin(&size);
  if (!input) return fail("cannot read the input (at most 32 MiB)", NULL);
  if (size == 0) return fail("empty input: expected a PNG or JPEG image", NULL);

  int w = 0, h = 0, channels = 0;
  if (!stbi_info_from_memory(input, (int)size, &w, &h, &channels))
    return fail("not a PNG or JPEG image", stbi_failure_reason());
  if ((uint64_t)w * (uint64_t)h > kMaxPixels) return fail("image too large (at most 16 Mpixels)", NULL);

  unsigned char* pixels = stbi_load_from_memory(input, (int)size, &w, &h, &channels, 0);
  free(input);
  if (!pixels) return fail("cannot decode the image", stbi_failure_reason());

  int out_w = kTargetSide, out_h = kTargetSide;
  if (w >= h)
    out_h = (int)(((uint64_t)h * kTargetSide + (uint64_t)w / 2) / (uint64_t)w);
  else
    out_w = (int)(((uint64_t)w * kTargetSide + (uint64_t)h / 2) / (uint64_t)h);
  if (out_w < 1) out_w = 1;
  if (out_h < 1) out_h = 1;

  unsigned char* out = malloc((size_t)out_w * (size_t)out_h * (size_t)channels);
  if (!out) return fail("out of memory", NULL);
  int alpha = channels == 4 ? 3 : channels == 2 ? 1 : STBIR_ALPHA_CHANNEL_NONE;
  if (!stbir_resize_uint8_srgb(pixels, w, h, 0, out, out_w, out_h, 0, channels, alpha, 0))
    return fail("resampling failed", NULL);
  stbi_image_free(pixels);

  if (!stbi_write_png_to_func(write_to_stdout, NULL, out_w, out_h, channels, out, out_w * channels))
    return fail("PNG encoding failed", NULL);
  free(out);
  if (fflush(stdout) != 0) return fail("cannot write stdout", NULL);
  return 0;
}
