# Adds every direct sub-folder of the current folder that has a CMakeLists.txt.
function(bazaar_add_subdirectories)
  file(GLOB children LIST_DIRECTORIES true RELATIVE ${CMAKE_CURRENT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/*)
  list(SORT children)
  foreach(child IN LISTS children)
    if(IS_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/${child} AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${child}/CMakeLists.txt)
      add_subdirectory(${child})
    endif()
  endforeach()
endfunction()

# bazaar_library(NAME SOURCES ... [DEPS ...]): a static library rooted at the repo for includes.
function(bazaar_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# bazaar_test(NAME SOURCES ... [DEPS ...] [LABELS ...]): one Catch2 binary registered with CTest.
# Tests get BAZAAR_SOURCE_DIR / BAZAAR_BINARY_DIR / BAZAAR_FIXTURES_DIR defines to find fixtures.
function(bazaar_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  target_link_libraries(${name} PRIVATE bazaar_catch_main ${ARG_DEPS})
  target_compile_definitions(${name} PRIVATE
    BAZAAR_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    BAZAAR_BINARY_DIR="${CMAKE_BINARY_DIR}"
    BAZAAR_FIXTURES_DIR="${PROJECT_SOURCE_DIR}/tests/fixtures")
  add_test(NAME ${name} COMMAND ${name})
  if(ARG_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}")
  endif()
endfunction()
