# libmp-preload.so: the interposition layer (this folder, which libmp has
# too) as a preload library for any dynamically linked program, and
# mp-preloadable, which says whether a program can be entered that way.
# Included from the top CMakeLists.txt.
#
# The layer's files are compiled again here, without a sanitizer and as
# position-independent code, with the two of base/ they use (the provider's
# loading, write_all) and preload.c, the preloaded build's own start-up.

add_executable(mp-preloadable runtime/mp-preloadable.c runtime/src/interpose/elfcheck.c)
set_target_properties(mp-preloadable PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})

if(NOT MP_TRACING)
  return()   # nothing to record with: no preload
endif()

file(GLOB MP_LAYER_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/runtime/src/interpose/*.c)
add_library(mp-preload SHARED ${MP_LAYER_SOURCES}
  ${PROJECT_SOURCE_DIR}/runtime/src/base/trace.c
  ${PROJECT_SOURCE_DIR}/runtime/src/base/fd.c)
target_link_libraries(mp-preload PRIVATE mp-internal ${CMAKE_DL_LIBS})
# Hidden tracepoint definitions: the runtime and the provider keep theirs.
target_compile_definitions(mp-preload PRIVATE LTTNG_UST_TRACEPOINT_HIDDEN_DEFINITION
  MP_TP_LIBRARY_PATH="$<TARGET_FILE:mp-tp>")
# Exported: the wrapped functions and the seam; base/'s mp__* stay inside
# (preload.map), so a program linked with the runtime keeps its own.
set(MP_PRELOAD_MAP ${PROJECT_SOURCE_DIR}/runtime/src/interpose/preload.map)
target_link_options(mp-preload PRIVATE LINKER:--version-script=${MP_PRELOAD_MAP})
set_target_properties(mp-preload PROPERTIES LINK_DEPENDS ${MP_PRELOAD_MAP})
# A sanitizer's runtime must come first in a process; a preload entering
# any program cannot promise that, so it is built without one.
target_compile_options(mp-preload PRIVATE -fno-sanitize=all)
target_link_options(mp-preload PRIVATE -fno-sanitize=all)
set_target_properties(mp-preload PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/runtime)
add_dependencies(mp-preload mp-tp)
