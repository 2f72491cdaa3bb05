-- Lengths and their arithmetic are integers.
local function last(xs: {string}): string
    return xs[#xs - 1 + 1]
end
local s = "abcdef"
print(last({ "a" }), s:sub(#s - 2), string.rep("=", #s * 2))
