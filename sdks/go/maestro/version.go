// Package maestro is Maestro Conductor's Go SDK: manifest types and a validator with the server's
// error paths, an API client, and a worker loop for tasks that use worker/<queue>. It uses the
// standard library only.
package maestro

// Version is the server version this SDK is released with (the Maven project version); a test
// in the Maven build checks that the two agree.
const Version = "0.1.0-SNAPSHOT"
