local util = {}

function util.stamp()
    return clock.now()
end

return util
