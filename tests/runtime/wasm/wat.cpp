#include "tests/runtime/wasm/wat.hpp"

#include <wabt/binary-writer.h>
#include <wabt/error-formatter.h>
#include <wabt/ir.h>
#include <wabt/stream.h>
#include <wabt/wast-lexer.h>
#include <wabt/wast-parser.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace bazaar::test {

runtime::Bytes wat_to_wasm(std::string_view wat) {
  wabt::Errors errors;
  auto lexer = wabt::WastLexer::CreateBufferLexer("test.wat", wat.data(), wat.size(), &errors);
  wabt::Features features;
  wabt::WastParseOptions parse_options(features);
  std::unique_ptr<wabt::Module> module;
  if (wabt::Failed(wabt::ParseWatModule(lexer.get(), &module, &errors, &parse_options)))
    throw std::runtime_error("wat does not parse: " +
                             wabt::FormatErrorsToString(errors, wabt::Location::Type::Text));
  wabt::MemoryStream stream;
  wabt::WriteBinaryOptions write_options(features, /*canonicalize_lebs=*/true, /*relocatable=*/false,
                                         /*write_debug_names=*/false);
  if (wabt::Failed(wabt::WriteBinaryModule(&stream, module.get(), write_options)))
    throw std::runtime_error("cannot encode the module");
  const auto& data = stream.output_buffer().data;
  return runtime::Bytes(data.begin(), data.end());
}

runtime::Bytes read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  return runtime::Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace bazaar::test
