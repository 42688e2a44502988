// Demo only: lets the address choose the room and its password, e.g. /?room=my-street&password=s3cret,
// so two people can try the demo together without editing the page. ?keeper= (empty) leaves the keeper out,
// ?keeper=wss://… names another one.
const params = new URLSearchParams(location.search);
const room = document.querySelector('gather-room');
if (room && params.get('room')) room.setAttribute('room', params.get('room'));
if (room && params.get('password')) room.setAttribute('password', params.get('password'));
if (room && params.has('keeper')) room.setAttribute('keeper', params.get('keeper'));
