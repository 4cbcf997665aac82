# Every dependency comes from Debian's packages (see tools/install-deps.sh).
find_package(Threads REQUIRED)
find_package(Boost 1.81 EXACT REQUIRED COMPONENTS program_options)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SECP256K1 REQUIRED IMPORTED_TARGET libsecp256k1)
pkg_check_modules(CRYPTOPP REQUIRED IMPORTED_TARGET libcrypto++)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)
find_package(leveldb REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)

# The node's allocator: jemalloc, as Substrate and Polkadot use on Linux. Block import allocates and frees
# many small objects per transaction (storage overlay, trie nodes, write batches) and glibc's malloc cost a
# sixth of the import thread (tools/bench/README.md). Off under sanitizers, which replace malloc themselves.
option(BAZAAR_JEMALLOC "Link bazaar-node and the import benchmarks with jemalloc" ON)
if(BAZAAR_JEMALLOC AND CMAKE_CXX_FLAGS MATCHES "-fsanitize=(address|thread|memory)")
  message(STATUS "BAZAAR_JEMALLOC off: a sanitizer build keeps the sanitizer's allocator")
  set(BAZAAR_JEMALLOC OFF)
endif()
if(BAZAAR_JEMALLOC)
  pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
endif()
if(BAZAAR_BUILD_TESTS)
  find_package(Catch2 REQUIRED)
endif()

# WABT ships only a static library and headers (no CMake config).
find_library(WABT_LIBRARY NAMES libwabt.a wabt REQUIRED)
find_path(WABT_INCLUDE_DIR wabt/interp/interp.h REQUIRED)
add_library(wabt::wabt STATIC IMPORTED GLOBAL)
set_target_properties(wabt::wabt PROPERTIES
  IMPORTED_LOCATION ${WABT_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${WABT_INCLUDE_DIR})
