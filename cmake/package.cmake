# `make package`: a Debian package (CPack's DEB generator) of everything the
# install rules install, under /usr. dpkg-shlibdeps (package dpkg-dev)
# declares the runtime library dependencies from the binary itself.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME invlog)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "inventory kept as an append-only, hash-chained event log in SQLite")
set(CPACK_PACKAGE_DESCRIPTION
    "invlog records every inventory change as an immutable event in a local SQLite file and answers from those events: stock now or at any past time, who changed it and why. It comes with manual pages and bash, zsh and fish completions.")
set(CPACK_PACKAGE_CONTACT "invlog maintainers <invlog@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "jq, sqlite3")
include(CPack)
