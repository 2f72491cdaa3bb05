-- Passing a literal nil where a value is required.
local function need(s: string): integer
    return #s
end
print(need(nil)) -- expect-error: E0000 argument 1 (s) is nil, not string
