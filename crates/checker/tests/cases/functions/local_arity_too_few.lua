-- A local function of three declared parameters needs three arguments.
local function clamp(x: number, lo: number, hi: number): number
    return math.min(math.max(x, lo), hi)
end
print(clamp(5, 1)) -- expect-error: `clamp` expects 3 arguments, got 2
print(clamp(5, 1, 3))
