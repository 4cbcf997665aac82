// bazaar-image-info FILE: prints "WIDTHxHEIGHT" of a PNG or JPEG (stb_image,
// from Debian's libstb-dev) and exits 1 if it does not decode. Used by the
// quickstart demo to check the resized image.

#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#include <stb/stb_image.h>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: bazaar-image-info FILE\n");
    return 2;
  }
  int w = 0, h = 0, channels = 0;
  unsigned char* pixels = stbi_load(argv[1], &w, &h, &channels, 0);
  if (!pixels) {
    std::fprintf(stderr, "bazaar-image-info: %s does not decode: %s\n", argv[1], stbi_failure_reason());
    return 1;
  }
  stbi_image_free(pixels);
  std::printf("%dx%d\n", w, h);
  return 0;
}
