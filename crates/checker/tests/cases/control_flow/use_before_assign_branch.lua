-- Assigned on one branch only.
local function f(b: boolean): string
    local s: string
    if b then
        s = "x"
    end
    return s -- expect-error: E0015 `s` is used before it is assigned
end
print(f(true))
