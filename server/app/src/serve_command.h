#pragma once
// `dangan serve`: runs the archive server until SIGTERM or SIGINT.

namespace dangan::server {

int runServeCommand(int argc, char** argv);

}  // namespace dangan::server
