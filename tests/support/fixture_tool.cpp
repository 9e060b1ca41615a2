// Scanned pages for tests written in other languages (the browser tests):
//   dangan-fixture form OUT.jpg TITLE ACCOUNT_NO [SEED]   a Chinese form, typeset, rendered, scanned
//   dangan-fixture scan IN.png OUT.jpg [SEED]             an image scanned with a little skew and noise
//   dangan-fixture file DIR SEED                          a customer's file (customerFile), page by page
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "customer_papers.h"
#include "scanned_forms.h"

using namespace dangan::testing;

int main(int argc, char** argv) {
    try {
        std::string command = argc > 1 ? argv[1] : "";
        if (command == "form" && argc >= 5) {
            unsigned seed = argc > 5 ? static_cast<unsigned>(std::stoul(argv[5])) : 1;
            auto png = renderPdfPages(formPdf({{argv[3], {{"户号", argv[4]}}, seed}}), 200).at(0);
            std::ofstream(argv[2], std::ios::binary) << damagedScan(png, {0, 0.8, false, 0.0005, 80, seed});
            return 0;
        }
        if (command == "scan" && argc >= 4) {
            std::ifstream in(argv[2], std::ios::binary);
            std::stringstream png;
            png << in.rdbuf();
            unsigned seed = argc > 4 ? static_cast<unsigned>(std::stoul(argv[4])) : 1;
            std::ofstream(argv[3], std::ios::binary) << damagedScan(png.str(), {0, -1.0, false, 0.0005, 80, seed});
            return 0;
        }
        if (command == "file" && argc >= 4) {
            unsigned seed = static_cast<unsigned>(std::stoul(argv[3]));
            auto customer = paperCustomers(static_cast<int>(seed % 7) + 1, seed).back();
            int n = 0;
            for (const auto& page : customerFile(customer, seed)) {
                std::ofstream(std::string(argv[2]) + "/page-" + std::to_string(++n) + ".jpg", std::ios::binary) << page.jpeg;
                std::printf("page-%d.jpg\t%s\t%zu fields\n", n, page.truth.docType.c_str(), page.truth.fields.size());
            }
            return 0;
        }
        std::fprintf(stderr, "usage: dangan-fixture form OUT.jpg TITLE ACCOUNT_NO [SEED] | scan IN.png OUT.jpg [SEED] | file DIR SEED\n");
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "dangan-fixture: %s\n", e.what());
        return 1;
    }
}
