-- A record literal where a map is expected: every value must fit.
local function headers(h: {[string]: string}): integer
    local n = 0
    for _ in pairs(h) do
        n = n + 1
    end
    return n
end
print(headers({ accept = "json", host = "x" }))
print(headers({ accept = "json", retries = 3 })) -- expect-error: argument 1 (h): field `retries` is integer, not string
