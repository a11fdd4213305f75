# libmp-preload.so: the interposition layer as a preload library for any
# dynamically linked program, and mp-preloadable, which says whether a
# program can be entered that way.  Included from the top CMakeLists.txt.
#
# Only the preload's own files: syscalls.c (the runtime's linked-in fork,
# wait, waitpid, _exit) stays in the runtime; seam.h says how the two meet.

add_executable(mp-preloadable runtime/mp-preloadable.c runtime/src/interpose/elfcheck.c)
set_target_properties(mp-preloadable PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})

if(NOT MP_TRACING)
  return()   # nothing to record with: no preload
endif()

set(MP_PRELOAD_DIR ${PROJECT_SOURCE_DIR}/runtime/src/interpose)
add_library(mp-preload SHARED
  ${MP_PRELOAD_DIR}/preload.c
  ${MP_PRELOAD_DIR}/process.c
  ${MP_PRELOAD_DIR}/exec.c
  ${MP_PRELOAD_DIR}/elfcheck.c
  ${MP_PRELOAD_DIR}/spawn.c
  ${MP_PRELOAD_DIR}/fds.c
  ${MP_PRELOAD_DIR}/streams.c
  ${MP_PRELOAD_DIR}/io.c
  ${MP_PRELOAD_DIR}/output.c
  ${MP_PRELOAD_DIR}/signals.c
  ${MP_PRELOAD_DIR}/sem.c
  ${MP_PRELOAD_DIR}/threads.c
  ${PROJECT_SOURCE_DIR}/runtime/src/base/trace.c)
target_link_libraries(mp-preload PRIVATE mp-internal)
# Hidden tracepoint definitions: the runtime and the provider keep theirs.
target_compile_definitions(mp-preload PRIVATE LTTNG_UST_TRACEPOINT_HIDDEN_DEFINITION
  MP_TP_LIBRARY_PATH="$<TARGET_FILE:mp-tp>")
target_link_libraries(mp-preload PRIVATE ${CMAKE_DL_LIBS})
# Exported: the wrapped functions and the seam; base/'s mp__* stay inside
# (preload.map), so a program linked with the runtime keeps its own.
set(MP_PRELOAD_MAP ${MP_PRELOAD_DIR}/preload.map)
target_link_options(mp-preload PRIVATE LINKER:--version-script=${MP_PRELOAD_MAP})
set_target_properties(mp-preload PROPERTIES LINK_DEPENDS ${MP_PRELOAD_MAP})
# A sanitizer's runtime must come first in a process; a preload entering
# any program cannot promise that, so it is built without one.
target_compile_options(mp-preload PRIVATE -fno-sanitize=all)
target_link_options(mp-preload PRIVATE -fno-sanitize=all)
set_target_properties(mp-preload PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/runtime)
add_dependencies(mp-preload mp-tp)

# What the preload costs per wrapped call (tests/bench/preload-bench.c):
# untraced, preloaded, preloaded with a session, side by side.
add_executable(mp-preload-bench tests/bench/preload-bench.c)
target_compile_definitions(mp-preload-bench PRIVATE MP_PRELOAD_PATH="$<TARGET_FILE:mp-preload>")
target_compile_options(mp-preload-bench PRIVATE -fno-sanitize=all)
target_link_options(mp-preload-bench PRIVATE -fno-sanitize=all)
set_target_properties(mp-preload-bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests/bench)
