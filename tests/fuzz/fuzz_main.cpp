// dangan-fuzz TARGET FILE...: runs one fuzz target over the bytes of each file (AFL++ passes its
// input as @@). Exit 2 with one line for an unknown target or an unreadable file.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "fuzz_targets.h"

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: dangan-fuzz TARGET FILE...\n");
        return 2;
    }
    const std::string_view wanted = argv[1];
    for (const auto& target : dangan::fuzz::targets()) {
        if (target.name != wanted) continue;
        for (int i = 2; i < argc; ++i) {
            std::ifstream in(argv[i], std::ios::binary);
            if (!in) {
                std::fprintf(stderr, "dangan-fuzz: cannot read %s\n", argv[i]);
                return 2;
            }
            const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            target.run(bytes);
        }
        return 0;
    }
    std::fprintf(stderr, "dangan-fuzz: no target '%s'\n", argv[1]);
    return 2;
}
