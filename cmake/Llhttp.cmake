# SPDX-License-Identifier: GPL-3.0-or-later
# llhttp, the HTTP parser of Node.js, built from the C sources Debian's node-llhttp ships
# (packaging/install-deps.sh installs it). A static library of our own, compiled without our
# warning flags: the sources are generated code we do not edit.
set(LLHTTP_SOURCE_DIR /usr/share/llhttp CACHE PATH "llhttp's C sources (Debian: node-llhttp)")
set(LLHTTP_INCLUDE_DIR /usr/share/include/llhttp CACHE PATH "Directory holding llhttp.h (Debian: node-llhttp)")
foreach(file ${LLHTTP_SOURCE_DIR}/api.c ${LLHTTP_SOURCE_DIR}/http.c ${LLHTTP_SOURCE_DIR}/llhttp.c
             ${LLHTTP_INCLUDE_DIR}/llhttp.h)
    if(NOT EXISTS ${file})
        message(FATAL_ERROR "llhttp: ${file} is missing; install Debian's node-llhttp "
                            "(bash packaging/install-deps.sh) or set LLHTTP_SOURCE_DIR/LLHTTP_INCLUDE_DIR")
    endif()
endforeach()
add_library(llhttp STATIC ${LLHTTP_SOURCE_DIR}/api.c ${LLHTTP_SOURCE_DIR}/http.c ${LLHTTP_SOURCE_DIR}/llhttp.c)
target_include_directories(llhttp SYSTEM PUBLIC ${LLHTTP_INCLUDE_DIR})
set_target_properties(llhttp PROPERTIES C_STANDARD 99 POSITION_INDEPENDENT_CODE ON C_VISIBILITY_PRESET hidden)
target_compile_options(llhttp PRIVATE -w)
