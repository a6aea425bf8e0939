// invlog: the executable is this file over the invlog library.
#include "invlog/cli/run.hpp"

int main(int argc, char** argv) { return invlog::cli::run(argc, argv); }
