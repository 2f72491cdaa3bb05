-- Into an optional target: fine.
local function f(x: string?): string?
    local s: string? = x
    return s
end
print(f(nil))
