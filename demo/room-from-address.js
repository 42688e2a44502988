// Demo only: lets the address choose the room and its password, e.g. /?room=my-street&password=s3cret,
// so two people can try the demo together without editing the page.
const params = new URLSearchParams(location.search);
const room = document.querySelector('gather-room');
if (room && params.get('room')) room.setAttribute('room', params.get('room'));
if (room && params.get('password')) room.setAttribute('password', params.get('password'));
