#include "node/metrics/registry.hpp"
#include "node/metrics/server.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

using namespace bazaar::node::metrics;
namespace http = boost::beast::http;

namespace {

http::response<http::string_body> get(uint16_t port, const std::string& target,
                                      http::verb verb = http::verb::get) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  http::request<http::empty_body> req{verb, target, 11};
  req.set(http::field::host, "127.0.0.1");
  http::write(socket, req);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(socket, buffer, res);
  return res;
}

}  // namespace

SCENARIO("the registry renders Prometheus text format 0.0.4") {
  Registry r;
  GIVEN("a counter, labelled gauges, a gauge read at scrape time and a histogram") {
    r.counter("bazaar_blocks_imported_total", "Blocks imported.").inc(3);
    r.gauge("bazaar_block_height", "Block height.", {{"status", "best"}}).set(42);
    r.gauge("bazaar_block_height", "Block height.", {{"status", "finalized"}}).set(40);
    int pool = 7;
    r.gauge_fn("bazaar_txpool_ready", "Ready transactions.", [&] { return double(pool); });
    auto& h = r.histogram("bazaar_import_seconds", "Import time.", {0.1, 1.0});
    h.observe(0.05);
    h.observe(0.1);  // "le" is inclusive
    h.observe(0.5);
    h.observe(7);
    pool = 9;
    WHEN("rendered") {
      auto text = r.render();
      THEN("every family has HELP and TYPE lines and its samples") {
        CHECK(text.find("# HELP bazaar_blocks_imported_total Blocks imported.\n"
                        "# TYPE bazaar_blocks_imported_total counter\n"
                        "bazaar_blocks_imported_total 3\n") != std::string::npos);
        CHECK(text.find("bazaar_block_height{status=\"best\"} 42\n") != std::string::npos);
        CHECK(text.find("bazaar_block_height{status=\"finalized\"} 40\n") != std::string::npos);
        CHECK(text.find("# TYPE bazaar_block_height gauge\n") != std::string::npos);
        CHECK(text.find("bazaar_txpool_ready 9\n") != std::string::npos);
      }
      THEN("the histogram's buckets are cumulative and end with +Inf = count") {
        CHECK(text.find("bazaar_import_seconds_bucket{le=\"0.1\"} 2\n") != std::string::npos);
        CHECK(text.find("bazaar_import_seconds_bucket{le=\"1\"} 3\n") != std::string::npos);
        CHECK(text.find("bazaar_import_seconds_bucket{le=\"+Inf\"} 4\n") != std::string::npos);
        CHECK(text.find("bazaar_import_seconds_count 4\n") != std::string::npos);
        CHECK(text.find("bazaar_import_seconds_sum 7.65\n") != std::string::npos);
      }
    }
  }
  GIVEN("a label value with quotes and a newline") {
    r.gauge("bazaar_x", "Line one\nline two.", {{"name", "a\"b\nc"}}).set(1);
    THEN("they are escaped") {
      auto text = r.render();
      CHECK(text.find("# HELP bazaar_x Line one\\nline two.\n") != std::string::npos);
      CHECK(text.find("bazaar_x{name=\"a\\\"b\\nc\"} 1\n") != std::string::npos);
    }
  }
  GIVEN("a name registered as a counter") {
    r.counter("bazaar_y_total", "Y.");
    THEN("registering it again returns the same series, and as a gauge is a programming error") {
      r.counter("bazaar_y_total", "Y.").inc();
      CHECK(r.counter("bazaar_y_total", "Y.").value() == 1);
      CHECK_THROWS_AS(r.gauge("bazaar_y_total", "Y."), std::logic_error);
    }
  }
  GIVEN("counters read at scrape time from another component's byte counts") {
    std::atomic<uint64_t> in{0}, out{0};
    r.counter_fn("bazaar_network_bytes_total", "Bytes.", [&] { return in.load(); }, {{"direction", "in"}});
    r.counter_fn("bazaar_network_bytes_total", "Bytes.", [&] { return out.load(); }, {{"direction", "out"}});
    in = 12345678901234;
    out = 7;
    WHEN("rendered") {
      auto text = r.render();
      THEN("one family typed counter, with each label's current value as an integer") {
        CHECK(text.find("# HELP bazaar_network_bytes_total Bytes.\n"
                        "# TYPE bazaar_network_bytes_total counter\n"
                        "bazaar_network_bytes_total{direction=\"in\"} 12345678901234\n"
                        "bazaar_network_bytes_total{direction=\"out\"} 7\n") != std::string::npos);
      }
      AND_WHEN("the sources grow and it is rendered again") {
        out += 5;
        THEN("the new value is read") {
          CHECK(r.render().find("bazaar_network_bytes_total{direction=\"out\"} 12\n") != std::string::npos);
        }
      }
    }
    THEN("the name cannot be registered as a gauge too") {
      CHECK_THROWS_AS(r.gauge_fn("bazaar_network_bytes_total", "Bytes.", [] { return 0.0; }), std::logic_error);
    }
  }
  GIVEN("bounds that do not increase") {
    THEN("the histogram refuses them") { CHECK_THROWS_AS(Histogram({1.0, 1.0}), std::invalid_argument); }
  }
  GIVEN("exponential buckets") {
    THEN("they grow by the factor") { CHECK(exponential_buckets(0.001, 4, 3) == std::vector<double>{0.001, 0.004, 0.016}); }
  }
}

SCENARIO("the scrape endpoint serves /metrics over HTTP") {
  Registry r;
  r.counter("bazaar_peers_connected_total", "Peers.").inc(2);
  MetricsServer server(r, "127.0.0.1", 0);
  REQUIRE(server.port() != 0);
  WHEN("GET /metrics") {
    auto res = get(server.port(), "/metrics");
    THEN("200 with the exposition") {
      CHECK(res.result() == http::status::ok);
      CHECK(res[http::field::content_type] == "text/plain; version=0.0.4");
      CHECK(res.body().find("bazaar_peers_connected_total 2\n") != std::string::npos);
    }
  }
  WHEN("another path or method") {
    CHECK(get(server.port(), "/").result() == http::status::not_found);
    CHECK(get(server.port(), "/metrics", http::verb::post).result() == http::status::method_not_allowed);
  }
  WHEN("a client sends garbage") {
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket socket(io);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), server.port()});
    boost::asio::write(socket, boost::asio::buffer(std::string("\x01\x02 not http\r\n\r\n")));
    THEN("the connection is closed and the server still answers others") {
      char c;
      boost::system::error_code ec;
      socket.read_some(boost::asio::buffer(&c, 1), ec);
      CHECK(ec);
      CHECK(get(server.port(), "/metrics").result() == http::status::ok);
    }
  }
  WHEN("the port is taken") {
    THEN("a second server on it fails with the reason") {
      CHECK_THROWS_AS(MetricsServer(r, "127.0.0.1", server.port()), std::runtime_error);
    }
  }
}
