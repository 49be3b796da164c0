# SPDX-License-Identifier: GPL-3.0-or-later
# Warnings and Qt defines shared by every target.
add_library(loadbench_options INTERFACE)
target_compile_options(loadbench_options INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual)
target_compile_definitions(loadbench_options INTERFACE
    QT_NO_CAST_FROM_ASCII QT_USE_QSTRINGBUILDER QT_NO_FOREACH
    QT_DISABLE_DEPRECATED_BEFORE=0x060400
    LOADBENCH_VERSION="${PROJECT_VERSION}")

# loadbench_add_test(name SOURCES ... LIBS ... LABELS ... [TIMEOUT s])
# One Qt Test executable registered with ctest, run offscreen, bounded in time.
function(loadbench_add_test name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 120)
    endif()
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test loadbench_options ${ARG_LIBS})
    target_compile_definitions(${name} PRIVATE
        LOADBENCH_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
        LOADBENCH_BINARY_DIR="${PROJECT_BINARY_DIR}"
        LOADBENCH_FIXTURES_DIR="${PROJECT_SOURCE_DIR}/tests/fixtures")
    add_test(NAME ${name} COMMAND ${name})
    # XDG_CONFIG_HOME: settings the tests write (recent targets) stay in the build folder,
    # never in the user's own configuration.
    set_tests_properties(${name} PROPERTIES
        LABELS "${ARG_LABELS}"
        TIMEOUT ${ARG_TIMEOUT}
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;QTEST_DISABLE_STACK_DUMP=1;XDG_CONFIG_HOME=${PROJECT_BINARY_DIR}/test-config;LOADBENCH_SERVICE=$<TARGET_FILE:loadbench-service>;LOADBENCH_CLI=$<TARGET_FILE:loadbench-cli>")
endfunction()
