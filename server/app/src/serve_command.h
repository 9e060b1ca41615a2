#pragma once
// `dangan serve`: runs the archive server until SIGTERM or SIGINT. `dangan worker` (worker: true)
// runs the same node without HTTP: OCR readers, and the work led by one node at a time.

namespace dangan::server {

int runServeCommand(int argc, char** argv, bool worker = false);

}  // namespace dangan::server
