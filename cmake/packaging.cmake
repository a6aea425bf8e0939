# What `make install` installs and what `make package` packages: the install
# rules, in two components, and the Debian packages built from them with
# CPack's DEB generator (one package per component):
#   core  -> invlog: the executable, the HTTP module, the manual pages, the
#            completions, the systemd unit, copyright and changelog;
#   mongo -> invlog-mongo: the MongoDB export module alone, so that the core
#            package does not pull libmongoc in. It depends on invlog of the
#            same version, since the module calls back into that executable.
# dpkg-shlibdeps (package dpkg-dev) declares each package's runtime library
# dependencies from its binaries. tests/e2e/test_package.sh builds both
# packages and runs lintian on them.
include(${CMAKE_CURRENT_LIST_DIR}/hardening.cmake)

# An install rule that names no component (a later one, say) belongs to the
# core package rather than to a third package of its own.
set(CMAKE_INSTALL_DEFAULT_COMPONENT_NAME core)

# invlog_install_gzipped(FILES... DESTINATION DIR [RENAME NAME] COMPONENT C):
# installs the files gzipped (see install_gzipped.cmake), as Debian wants
# manual pages and changelogs.
function(invlog_install_gzipped)
  cmake_parse_arguments(arg "" "DESTINATION;RENAME;COMPONENT" "FILES" ${ARGN})
  install(CODE "set(INVLOG_GZIP_FILES \"${arg_FILES}\")
    set(INVLOG_GZIP_DESTINATION \"${arg_DESTINATION}\")
    set(INVLOG_GZIP_RENAME \"${arg_RENAME}\")
    include(\"${PROJECT_SOURCE_DIR}/cmake/install_gzipped.cmake\")" COMPONENT ${arg_COMPONENT})
endfunction()

install(TARGETS invlog RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT core)
# Private modules, not shared libraries for ldconfig: libexec, as Debian allows.
install(TARGETS invlog_http LIBRARY DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/invlog COMPONENT core)
install(TARGETS invlog_mongo LIBRARY DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/invlog COMPONENT mongo)
# The systemd unit of `invlog serve` (packaging/invlog.service.in), written at
# install time with the path of the installed binary (the prefix of
# `cmake --install --prefix` and of the package is known only then), straight
# into the destination: two installs at once (the tests do that) share no file.
install(CODE "set(INVLOG_BINDIR \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}\")
  set(unit \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/lib/systemd/system/invlog.service\")
  message(STATUS \"Installing: \${unit}\")
  configure_file(\"${PROJECT_SOURCE_DIR}/packaging/invlog.service.in\" \"\${unit}\" @ONLY)
  list(APPEND CMAKE_INSTALL_MANIFEST_FILES \"\${unit}\")" COMPONENT core)
file(GLOB INVLOG_MAN_PAGES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/man/*.1)
invlog_install_gzipped(FILES ${INVLOG_MAN_PAGES} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT core)
install(FILES completions/invlog.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME invlog
  COMPONENT core)
install(FILES completions/_invlog DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions COMPONENT core)
install(FILES completions/invlog.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d COMPONENT core)
# Each package carries the copyright notice and the changelog in its own
# /usr/share/doc directory, as Debian policy asks.
set(INVLOG_COMPONENTS core mongo)
set(INVLOG_PACKAGES invlog invlog-mongo)
foreach(component package IN ZIP_LISTS INVLOG_COMPONENTS INVLOG_PACKAGES)
  install(FILES packaging/debian/copyright DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${package} COMPONENT ${component})
  invlog_install_gzipped(FILES ${PROJECT_SOURCE_DIR}/packaging/debian/changelog
    DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${package} RENAME changelog.Debian.gz COMPONENT ${component})
endforeach()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME invlog)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# The Debian revision: the top entry of packaging/debian/changelog must be
# VERSION-RELEASE (test_package checks it).
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_PACKAGE_CONTACT "invlog maintainers <maintainers@invlog.org>")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://invlog.org/")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)

set(CPACK_DEBIAN_CORE_PACKAGE_NAME invlog)
set(CPACK_DEBIAN_CORE_PACKAGE_SUGGESTS "invlog-mongo, jq, sqlite3")
# The first line is the summary, the rest the extended description (each
# line under 80 columns, as lintian wants).
set(CPACK_DEBIAN_CORE_DESCRIPTION "inventory kept as an append-only, hash-chained event log
invlog records every inventory change (stock on hand, available and
reserved quantities) as an immutable event in a local SQLite file, and
answers from those events: the stock now or at any past time, who changed
it and why. The events are hash-chained, so that `invlog verify` proves
that nobody rewrote the log.
.
This package holds the invlog command, its HTTP server (invlog serve, with
a systemd unit), manual pages, and bash, zsh and fish completions. The
export to MongoDB is in the package invlog-mongo.")

set(CPACK_DEBIAN_MONGO_PACKAGE_NAME invlog-mongo)
set(CPACK_DEBIAN_MONGO_PACKAGE_DEPENDS "invlog (= ${PROJECT_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE})")
set(CPACK_DEBIAN_MONGO_DESCRIPTION "MongoDB export for the invlog inventory log
invlog records every inventory change as an immutable, hash-chained event
in a local SQLite file.
.
This package adds `invlog export mongo`, which replicates the event log
(and, on request, the current state of every SKU) into a MongoDB
collection, resuming where the last acknowledged export stopped, and
`invlog export file --format extjson` (MongoDB Extended JSON). It is a
module that invlog loads only for these commands, with the MongoDB C driver
(libmongoc) it needs.")
include(CPack)
