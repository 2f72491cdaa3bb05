-- Reading a readonly record's fields is fine.
type Version = readonly {major: integer, minor: integer}
local function show(v: Version): string
    return v.major .. "." .. v.minor
end
print(show({ major = 1, minor = 2 }))
