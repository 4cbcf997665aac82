#pragma once
// Parsing a sub-command's options with Boost.program_options.

#include "tools/wallet/wallet.hpp"

#include <boost/program_options.hpp>

namespace bazaar::tools::wallet {

namespace po = boost::program_options;

/// Parses `args` against `desc` and `positional`; throws CommandError with the
/// usage on a bad option.
inline po::variables_map parse_args(const std::vector<std::string>& args, const po::options_description& desc,
                                    const po::positional_options_description& positional = {}) {
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(desc).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    std::ostringstream usage;
    usage << e.what() << "\n" << desc;
    throw CommandError{usage.str()};
  }
  return vm;
}

}  // namespace bazaar::tools::wallet
