-- More arguments than parameters is an error too (Lua would drop them silently).
local function clamp(x: number, lo: number, hi: number): number
    return math.min(math.max(x, lo), hi)
end
print(clamp(5, 1, 3, 4)) -- expect-error: `clamp` expects 3 arguments, got 4
