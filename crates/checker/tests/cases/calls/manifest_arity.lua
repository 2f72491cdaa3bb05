-- Arity follows the manifests: optional parameters may be omitted, variadics take any number.
local a = json.encode({})
local b = json.encode() -- expect-error: E0003
local c = json.encode(1, 2) -- expect-error: E0003
local d = hash.sha256("x")
local e = hash.sha256("x", true)
local f = string.format("%s %s %s", 1, 2, 3)
local g = uuid.v4(1) -- expect-error: E0003
local h = base64.encode(...)
print(a, b, c, d, e, f, g, h)
local parts = { "a" }
table.insert(parts, "b")
table.insert(parts, 1, "c")
print(table.concat(parts, ","))
