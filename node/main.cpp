// bazaar-node: parses the command line, starts the service, prints the RPC
// endpoint ("RPC listening on ws://HOST:PORT", one line on stdout, for scripts
// and tests that pass --rpc-port 0), and stops everything in reverse order on
// SIGINT or SIGTERM.

#include "node/cli/cli.hpp"
#include "node/cli/commands.hpp"
#include "node/log/log.hpp"
#include "node/offchain/launcher.hpp"
#include "node/service/service.hpp"

#include <csignal>
#include <exception>
#include <iostream>

#include <pthread.h>

int main(int argc, char** argv) {
  using namespace bazaar::node;
  try {
    auto cmd = cli::parse_command_line(argc, argv);
    if (!cmd) {
      std::cerr << "bazaar-node: " << cmd.error() << "\n";
      return 2;
    }
    if (cmd.value().kind == cli::CliCommand::Kind::GenerateNodeKey || cmd.value().kind == cli::CliCommand::Kind::BuildSpec)
      return cli::run_subcommand(cmd.value(), std::cout, std::cerr);
    if (cmd.value().kind != cli::CliCommand::Kind::Run) {
      std::cout << cmd.value().text << "\n";
      return 0;
    }

    // Every thread the service starts inherits this mask; the signals are taken here only.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    std::string detail;
    service::ServiceHooks hooks;
    hooks.provider_launcher = offchain::make_provider_launcher();
    auto service = service::Service::start(std::move(cmd.value().options), std::move(hooks), &detail);
    if (!service) {
      std::cerr << "bazaar-node: " << service.error().message() << (detail.empty() ? "" : ": " + detail) << "\n";
      return 1;
    }
    std::cout << "RPC listening on " << service.value()->rpc_url() << std::endl;

    int received = 0;
    sigwait(&signals, &received);
    log::logger("service")->info("received {}, shutting down", received == SIGINT ? "SIGINT" : "SIGTERM");
    service.value()->stop();
    log::logger("service")->info("stopped");
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "bazaar-node: fatal: " << e.what() << "\n";
    return 1;
  }
}
