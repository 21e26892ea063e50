module maestro-conductor/sdks/go

go 1.19
