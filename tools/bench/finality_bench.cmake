# Included from tools/bench/CMakeLists.txt.

# bazaar_local_net: real bazaar-node processes on loopback (local_net.hpp), shared by
# bazaar-bench-finality and the network integration tests (tests/integration/network).
# NodeProcess (tests/integration/node_process.*) runs build/bin/bazaar-node.
add_library(bazaar_local_net STATIC local_net.cpp ${PROJECT_SOURCE_DIR}/tests/integration/node_process.cpp)
target_include_directories(bazaar_local_net PUBLIC ${PROJECT_SOURCE_DIR})
target_compile_definitions(bazaar_local_net PRIVATE BAZAAR_BINARY_DIR="${CMAKE_BINARY_DIR}")
target_link_libraries(bazaar_local_net PUBLIC Boost::boost nlohmann_json::nlohmann_json Threads::Threads)

# bazaar-bench-finality: finality latency of three validators on loopback (README.md in this folder).
add_executable(bazaar-bench-finality finality_bench.cpp finality_watch.cpp)
target_link_libraries(bazaar-bench-finality PRIVATE bazaar_local_net Boost::program_options fmt::fmt)
add_dependencies(bazaar-bench-finality bazaar-node)
if(BAZAAR_BUILD_TESTS)
  add_test(NAME bench_finality_smoke COMMAND bazaar-bench-finality --smoke)
  set_tests_properties(bench_finality_smoke PROPERTIES LABELS bench TIMEOUT 120)
endif()
