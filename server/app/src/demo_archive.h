#pragma once
// `dangan serve --demo`: a fresh archive filled with a small, realistic one so that a newcomer
// sees a working archive. It is filled through the server's own HTTP API, as people and the
// marketing system would fill it: users of each role, customers, business process steps (some
// late, some due soon), a scanned batch of printed cover sheets, separator sheets and specimen
// forms that the batch desk cleans, reads and files (two pages left for review), a box on a
// shelf, a loan out and a request waiting for approval.

#include <atomic>
#include <string>
#include <vector>

#include "dangan/print/printed_sheets.h"
#include "dangan/storage/clock.h"

namespace dangan::server {

struct DemoAccount {
    std::string username;
    std::string role;  // in Chinese, as the sign-in note shows it
};

// The demo's users; each signs in with kDemoPassword.
[[nodiscard]] const std::vector<DemoAccount>& demoAccounts();
inline constexpr const char* kDemoPassword = "demo-2026";

// Fills the archive served at http://`host`:`port`/ as `admin` with `adminPassword`. Returns
// a message on failure (the archive then holds what was made before it). Stops early, with a
// message, when `stop` becomes true.
[[nodiscard]] std::string fillDemoArchive(const std::string& host, int port, const std::string& adminPassword,
                                          const print::PrintOptions& printing, const storage::Clock& clock,
                                          const std::atomic<bool>& stop);

}  // namespace dangan::server
