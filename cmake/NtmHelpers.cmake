# Warnings as errors on the project's own code, never on generated code.
function(ntm_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror
    -Wno-unused-parameter -Wno-missing-field-initializers)
endfunction()

# Generates C++ for the protos listed, with gRPC stubs, into a static library.
#   ntm_proto_library(NAME target PROTOS a.proto ... [DEPS lib ...])
# PROTOS are paths relative to IMPORT_ROOT (default: the top-level proto/ directory).
function(ntm_proto_library)
  cmake_parse_arguments(P "" "NAME;IMPORT_ROOT" "PROTOS;DEPS" ${ARGN})
  if(NOT P_IMPORT_ROOT)
    set(P_IMPORT_ROOT ${CMAKE_SOURCE_DIR}/proto)
  endif()
  set(files)
  foreach(p ${P_PROTOS})
    list(APPEND files ${P_IMPORT_ROOT}/${p})
  endforeach()
  add_library(${P_NAME} STATIC ${files})
  set(out ${CMAKE_BINARY_DIR}/gen)
  file(MAKE_DIRECTORY ${out})
  protobuf_generate(TARGET ${P_NAME} LANGUAGE cpp
    IMPORT_DIRS ${CMAKE_SOURCE_DIR}/proto ${P_IMPORT_ROOT} PROTOC_OUT_DIR ${out})
  protobuf_generate(TARGET ${P_NAME} LANGUAGE grpc
    GENERATE_EXTENSIONS .grpc.pb.h .grpc.pb.cc
    PLUGIN "protoc-gen-grpc=${GRPC_CPP_PLUGIN}"
    IMPORT_DIRS ${CMAKE_SOURCE_DIR}/proto ${P_IMPORT_ROOT} PROTOC_OUT_DIR ${out})
  target_include_directories(${P_NAME} PUBLIC ${out})
  target_link_libraries(${P_NAME} PUBLIC protobuf::libprotobuf gRPC::grpc++ ${P_DEPS})
endfunction()

# Embeds numbered SQL migrations (NNNN_name.sql) of a directory into a C++ source file that
# defines `const std::vector<ntm::db::Migration>& <FUNC>()`.
function(ntm_embed_migrations target dir func)
  file(GLOB sqls CONFIGURE_DEPENDS ${dir}/*.sql)
  list(SORT sqls)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${func}_migrations.cc)
  set(body "// Generated from ${dir}; do not edit.\n#include <vector>\n#include \"services/common/db/migrations.h\"\n\nnamespace ntm::db {\n\nconst std::vector<Migration>& ${func}() {\n  static const std::vector<Migration> kMigrations = {\n")
  foreach(f ${sqls})
    get_filename_component(n ${f} NAME_WE)
    string(REGEX MATCH "^[0-9]+" ver ${n})
    file(READ ${f} sql)
    string(APPEND body "      {${ver}, \"${n}\", R\"ntmsql(${sql})ntmsql\"},\n")
  endforeach()
  string(APPEND body "  };\n  return kMigrations;\n}\n\n}  // namespace ntm::db\n")
  file(CONFIGURE OUTPUT ${out} CONTENT "${body}" @ONLY)
  target_sources(${target} PRIVATE ${out})
endfunction()

# Registers a GoogleTest executable with ctest under a label: "unit" (pure logic, no database) or
# "integration" (real MariaDB, real gRPC). Unit tests also join the `unit_tests` target, which is
# what the sanitizer build compiles.
function(ntm_test target label)
  gtest_discover_tests(${target} PROPERTIES LABELS ${label} DISCOVERY_TIMEOUT 60)
  if(label STREQUAL "unit")
    add_dependencies(unit_tests ${target})
  endif()
endfunction()
